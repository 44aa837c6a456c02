// One chart per element: drawn again when its options change, destroyed with its component.
// options.links[series][point] and options.markerLinks[i] are where a click on a point or a marker goes.
export function render(element, options) {
    if (element.apexChart) element.apexChart.destroy();
    const go = url => {
        if (!url) return;
        if (window.Blazor && window.Blazor.navigateTo) window.Blazor.navigateTo(url);
        else window.location.href = url;
    };
    const links = options.links || [];
    const markerLinks = options.markerLinks || [];
    delete options.links;
    delete options.markerLinks;
    options.chart = options.chart || {};
    options.chart.events = {
        markerClick: (event, context, where) => go((links[where.seriesIndex] || [])[where.dataPointIndex]),
        dataPointSelection: (event, context, where) => go((links[where.seriesIndex] || [])[where.dataPointIndex]),
    };
    if (options.annotations && options.annotations.points)
        options.annotations.points.forEach((point, i) => { if (markerLinks[i]) point.click = () => go(markerLinks[i]); });
    element.apexChart = new ApexCharts(element, options);
    element.apexChart.render();
}

export function destroy(element) {
    if (element && element.apexChart) {
        element.apexChart.destroy();
        element.apexChart = null;
    }
}
